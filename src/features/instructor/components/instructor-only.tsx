import './instructor.css';
import type { ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { getMyRoleQueryOptions } from '@/features/instructor/api/get-my-role';

/** Renders instructor screens for instructors only (the server enforces it regardless). */
export function InstructorOnly({ children }: { children: ReactNode }) {
  const role = useQuery({ ...getMyRoleQueryOptions(), throwOnError: (_e, q) => q.state.data === undefined });
  if (role.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading…
      </p>
    );
  }
  if (role.data !== 'instructor') {
    return (
      <section className="card stack-sm">
        <h1>Instructors only</h1>
        <p>This page is for instructors. If you teach a cohort, ask an administrator to give your account the instructor role.</p>
      </section>
    );
  }
  return <>{children}</>;
}
