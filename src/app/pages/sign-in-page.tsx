import { SignInForm } from '@/features/auth/components/sign-in-form';
import { Link } from '@/components/link';

export default function SignInPage() {
  return (
    <div className="stack">
      <SignInForm />
      <p className="muted">
        New to Rounds? <Link href="/signup">Create an account</Link>
      </p>
    </div>
  );
}
