// Placeholder: being built now (student app issue).
export default function NewBlockPage({ params }: { params: Record<string, string> }) {
  return (
    <section className="stack">
      <h1>new-block</h1>
      <p className="muted">{JSON.stringify(params)}</p>
    </section>
  );
}
