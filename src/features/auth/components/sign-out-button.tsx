import { useMutation } from '@tanstack/react-query';
import { signOut } from '@/features/auth/api/sign-out';

export function SignOutButton() {
  const mutation = useMutation({ mutationFn: signOut });
  return (
    <>
      <button type="button" className="button" onClick={() => mutation.mutate()} disabled={mutation.isPending}>
        Sign out
      </button>
      {mutation.isError ? (
        <span className="form-error" role="alert">
          Couldn't sign out — check your connection and try again
        </span>
      ) : null}
    </>
  );
}
