// Placeholder: being built now (student app issue).
export default function SettingsPage({ params }: { params: Record<string, string> }) {
  return (
    <section className="stack">
      <h1>settings</h1>
      <p className="muted">{JSON.stringify(params)}</p>
    </section>
  );
}
