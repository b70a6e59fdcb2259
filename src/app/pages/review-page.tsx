// Placeholder: being built now (student app issue).
export default function ReviewPage({ params }: { params: Record<string, string> }) {
  return (
    <section className="stack">
      <h1>review</h1>
      <p className="muted">{JSON.stringify(params)}</p>
    </section>
  );
}
