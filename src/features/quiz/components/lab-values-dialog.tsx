import { useId } from 'react';
import { LAB_SECTIONS } from '@/features/quiz/model/lab-values';
import { ModalDialog } from './modal-dialog';

/** The reference-range sheet, as a drawer over the question (L or the Lab values button; Esc closes). */
export function LabValuesDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const titleId = useId();
  return (
    <ModalDialog open={open} onClose={onClose} labelledBy={titleId} className="player-dialog labs-drawer">
      <div className="labs-head">
        <h2 id={titleId}>Lab values</h2>
        <button type="button" className="button" onClick={onClose} aria-keyshortcuts="Escape L" autoFocus>
          Close
        </button>
      </div>
      <nav aria-label="Lab sections" className="labs-nav">
        {LAB_SECTIONS.map((s) => (
          <a key={s.id} href={`#labs-${s.id}`}>
            {s.title}
          </a>
        ))}
      </nav>
      {LAB_SECTIONS.map((s) => (
        <section key={s.id} id={`labs-${s.id}`} aria-labelledby={`labs-${s.id}-title`} className="labs-section">
          <h3 id={`labs-${s.id}-title`}>{s.title}</h3>
          <table className="labs-table">
            <thead>
              <tr>
                <th scope="col">Test</th>
                <th scope="col">Reference range</th>
              </tr>
            </thead>
            <tbody>
              {s.values.map((v) => (
                <tr key={v.test}>
                  <th scope="row">{v.test}</th>
                  <td>{v.range}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </ModalDialog>
  );
}
