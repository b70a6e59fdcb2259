import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { secondsLeft } from '@/features/quiz/model/player';
import { crossedWarning, formatClock } from '@/features/quiz/model/player-view';

/**
 * The timed block's countdown, computed from the attempt's start (not from ticks), so a reload, a
 * sleeping laptop or a throttled background tab never gives extra time. Calls `onExpire` once at 0.
 */
export function BlockTimer({
  startedAtMs,
  limitSeconds,
  onExpire,
  onWarning,
}: {
  startedAtMs: number;
  limitSeconds: number;
  onExpire: () => void;
  onWarning: (message: string) => void;
}) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 500);
    return () => window.clearInterval(timer);
  }, []);

  const left = secondsLeft(startedAtMs, limitSeconds, now) ?? 0;
  const previous = useRef(left);
  const expire = useEffectEvent(onExpire);
  const warn = useEffectEvent(onWarning);
  useEffect(() => {
    const crossed = crossedWarning(previous.current, left);
    previous.current = left;
    if (crossed === 300) warn('5 minutes left in this block.');
    if (crossed === 60) warn('1 minute left in this block.');
    if (left === 0) expire();
  }, [left]);

  const urgent = left <= 60 ? 'urgent' : left <= 300 ? 'soon' : undefined;
  return (
    <div className="player-timer" data-state={urgent}>
      <span className="player-timer-label">Time left</span>
      <span role="timer" aria-label="Time left" className="player-timer-value">
        {formatClock(left)}
      </span>
    </div>
  );
}
