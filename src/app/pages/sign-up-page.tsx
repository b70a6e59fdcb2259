import { SignUpForm } from '@/features/auth/components/sign-up-form';
import { Link } from '@/components/link';

export default function SignUpPage() {
  return (
    <div className="stack">
      <SignUpForm />
      <p className="muted">
        Already have an account? <Link href="/signin">Sign in</Link>
      </p>
    </div>
  );
}
