import { useRef, type KeyboardEvent } from 'react';
import type { LeaderboardPeriod } from '@/features/leaderboard/api/keys';

export const PERIODS: { id: LeaderboardPeriod; label: string }[] = [
  { id: 'week', label: 'This week (UTC)' },
  { id: 'all', label: 'All time' },
];

/**
 * The WAI-ARIA tabs pattern with automatic activation: one tab stop (roving tabindex), arrow keys and
 * Home/End move between periods, and each tab controls the one board panel (`panelId`).
 */
export function PeriodTabs({
  value,
  onChange,
  panelId,
  idPrefix,
}: {
  value: LeaderboardPeriod;
  onChange: (period: LeaderboardPeriod) => void;
  panelId: string;
  idPrefix: string;
}) {
  const refs = useRef(new Map<LeaderboardPeriod, HTMLButtonElement>());

  function handleKeyDown(event: KeyboardEvent<HTMLDivElement>) {
    const index = PERIODS.findIndex((p) => p.id === value);
    let next: number | undefined;
    if (event.key === 'ArrowRight') next = (index + 1) % PERIODS.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + PERIODS.length) % PERIODS.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = PERIODS.length - 1;
    const period = next === undefined ? undefined : PERIODS[next];
    if (!period) return;
    event.preventDefault();
    onChange(period.id);
    refs.current.get(period.id)?.focus();
  }

  return (
    <div role="tablist" aria-label="Period" className="period-tabs" onKeyDown={handleKeyDown}>
      {PERIODS.map((p) => (
        <button
          key={p.id}
          ref={(el) => {
            if (el) refs.current.set(p.id, el);
            else refs.current.delete(p.id);
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-${p.id}`}
          aria-selected={p.id === value}
          aria-controls={panelId}
          tabIndex={p.id === value ? 0 : -1}
          className="period-tab"
          onClick={() => onChange(p.id)}
        >
          {p.label}
        </button>
      ))}
    </div>
  );
}
