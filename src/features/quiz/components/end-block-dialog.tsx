import { useId } from 'react';
import type { BlockSummary } from '@/features/quiz/model/player-view';
import { ModalDialog } from './modal-dialog';

function count(n: number, one: string, many: string) {
  return `${n} ${n === 1 ? one : many}`;
}

/** "End this block?" with what ending changes; the safe choice (keep working) has focus. */
export function EndBlockDialog({
  open,
  summary,
  timed,
  onCancel,
  onConfirm,
}: {
  open: boolean;
  summary: BlockSummary;
  timed: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const titleId = useId();
  return (
    <ModalDialog open={open} onClose={onCancel} labelledBy={titleId} className="player-dialog end-dialog">
      <div className="stack">
        <h2 id={titleId}>End this block?</h2>
        <ul className="end-summary">
          <li>
            {summary.answered} of {summary.total} answered
          </li>
          <li>{count(summary.unanswered, 'question unanswered', 'questions unanswered')}</li>
          {summary.pending > 0 ? <li>{count(summary.pending, 'selected answer', 'selected answers')} not yet submitted — ending submits them</li> : null}
          <li>{count(summary.marked, 'question marked', 'questions marked')} for review</li>
        </ul>
        <p className="muted">{timed ? 'Ending stops the clock. ' : ''}You cannot change answers after the block ends.</p>
        <div className="row">
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Keep working
          </button>
          <button type="button" className="button button-primary" onClick={onConfirm}>
            End block
          </button>
        </div>
      </div>
    </ModalDialog>
  );
}
