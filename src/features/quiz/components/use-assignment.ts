/**
 * One assignment as the student sees it: the plan and the server's judgement (get_my_assignments, kept
 * with the persisted cache, so it opens offline) and its sittings, derived from the blocks this device
 * holds (its ledgers) merged with the server's rows of them (another device's sittings too).
 */
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { allBlockLedgers } from '@/answer-sync/block-ledger';
import { getAssignmentAttemptsQueryOptions, getMyAssignmentsQueryOptions, type MyAssignment } from '@/features/quiz/api/get-my-assignments';
import { mergeBlocks, sittingsOf, type SittingState } from '@/features/quiz/model/assignment';

/** The student's assignment with this id, once the list is known (undefined while loading or if none). */
export function useMyAssignment(assignmentId: string | null) {
  const list = useQuery({ ...getMyAssignmentsQueryOptions(), enabled: assignmentId !== null });
  return { assignment: list.data?.find((a) => a.id === assignmentId), list };
}

export function useSittings(assignment: MyAssignment): { sittings: SittingState[]; now: number } {
  const server = useQuery(getAssignmentAttemptsQueryOptions(assignment.id));
  // Read once: the pages that ask (the assignment's page, a section's review) never change a ledger, and
  // the break countdown renders every second.
  const [local] = useState(() =>
    allBlockLedgers(window.localStorage)
      .map((l) => l.attempt)
      .filter((a) => a.assignment_id === assignment.id),
  );
  const blocks = mergeBlocks(local, server.data ?? []);
  const [now, setNow] = useState(() => Date.now());
  const sittings = sittingsOf(assignment, blocks, now);
  const onBreak = sittings.at(-1)?.breakSince != null;
  useEffect(() => {
    if (!onBreak) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [onBreak]);
  return { sittings, now };
}
