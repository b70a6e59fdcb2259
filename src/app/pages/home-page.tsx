// Placeholder: being built now (student app issue).
export default function HomePage({ params }: { params: Record<string, string> }) {
  return (
    <section className="stack">
      <h1>home</h1>
      <p className="muted">{JSON.stringify(params)}</p>
    </section>
  );
}
