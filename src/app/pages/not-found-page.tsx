import { Link } from '@/components/link';

/** Any address the app has no page for, signed in or out, online or offline. */
export default function NotFoundPage({ params }: { params: Record<string, string> }) {
  const back = params.back ?? '/';
  return (
    <section className="card stack-sm">
      <h1>Page not found</h1>
      <p>
        There is no page at <code>{window.location.pathname}</code>. The link may be mistyped or out of date.
      </p>
      <p>
        <Link href={back} className="button button-primary">
          {back === '/' ? 'Go to Home' : 'Go to sign in'}
        </Link>
      </p>
    </section>
  );
}
