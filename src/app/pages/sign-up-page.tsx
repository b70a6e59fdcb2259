// Placeholder: being built now (student app issue).
export default function SignUpPage({ params }: { params: Record<string, string> }) {
  return (
    <section className="stack">
      <h1>sign-up</h1>
      <p className="muted">{JSON.stringify(params)}</p>
    </section>
  );
}
