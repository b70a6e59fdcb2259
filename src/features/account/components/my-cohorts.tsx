import './account.css';
import { useQuery } from '@tanstack/react-query';
import { getMyCohortsQueryOptions } from '@/features/account/api/get-my-cohorts';

export function MyCohorts() {
  const query = useQuery({ ...getMyCohortsQueryOptions(), throwOnError: (_error, q) => q.state.data === undefined });

  return (
    <section className="stack-sm" aria-labelledby="my-cohorts-heading">
      <h2 id="my-cohorts-heading">My cohorts</h2>
      {query.data === undefined ? (
        <p role="status" className="muted">
          Loading your cohorts…
        </p>
      ) : query.data.length === 0 ? (
        <p className="muted">You're not in a cohort yet. Ask your instructor for a join code and enter it above.</p>
      ) : (
        <ul className="cohort-list">
          {query.data.map((cohort) => (
            <li key={cohort.id}>{cohort.name}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
