import { useMutation } from '@tanstack/react-query';
import { signOutMutationOptions } from '@/features/auth/api/sign-out';

export function SignOutButton() {
  const mutation = useMutation(signOutMutationOptions());
  return (
    <button type="button" className="button" onClick={() => mutation.mutate()} disabled={mutation.isPending}>
      Sign out
    </button>
  );
}
