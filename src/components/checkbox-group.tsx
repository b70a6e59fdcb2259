import './checkbox-group.css';
import { useId } from 'react';

export interface CheckboxOption {
  value: string;
  label: string;
}

/**
 * A labelled group of checkboxes with "All"/"Clear" shortcuts. The shortcut buttons' names carry the
 * group's name ("All organ systems") so a screen-reader list of buttons is unambiguous, and start with
 * the visible word so voice control ("click All") still finds them. Used by the block and review builders
 * and the instructor's assignment form.
 */
export function CheckboxGroup({
  legend,
  options,
  selected,
  onChange,
  error,
}: {
  legend: string;
  options: readonly CheckboxOption[];
  selected: ReadonlySet<string>;
  onChange: (next: Set<string>) => void;
  error?: string | null;
}) {
  const errorId = useId();
  const lower = legend.toLowerCase();
  const toggle = (value: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(value);
    else next.delete(value);
    onChange(next);
  };
  return (
    <fieldset className="check-group" aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      <div className="row check-group-actions">
        <button type="button" className="button check-group-button" aria-label={`All ${lower}`} onClick={() => onChange(new Set(options.map((o) => o.value)))}>
          All
        </button>
        <button type="button" className="button check-group-button" aria-label={`Clear ${lower}`} onClick={() => onChange(new Set())}>
          Clear
        </button>
        <span className="muted check-group-count">
          {selected.size} of {options.length} selected
        </span>
      </div>
      <div className="check-group-options">
        {options.map((o) => (
          <label key={o.value} className="check-group-option">
            <input type="checkbox" checked={selected.has(o.value)} onChange={(e) => toggle(o.value, e.currentTarget.checked)} />
            <span>{o.label}</span>
          </label>
        ))}
      </div>
      {error ? (
        <p id={errorId} className="form-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
