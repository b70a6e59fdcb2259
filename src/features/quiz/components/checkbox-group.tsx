import { useId } from 'react';

export interface CheckboxOption {
  value: string;
  label: string;
}

/**
 * A labelled group of checkboxes with "All"/"Clear" shortcuts. The shortcut buttons' names carry the
 * group's name ("All organ systems") so a screen-reader list of buttons is unambiguous, and start with
 * the visible word so voice control ("click All") still finds them.
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
    <fieldset className="nb-fieldset" aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      <div className="row nb-group-actions">
        <button
          type="button"
          className="button nb-small-button"
          aria-label={`All ${lower}`}
          onClick={() => onChange(new Set(options.map((o) => o.value)))}
        >
          All
        </button>
        <button type="button" className="button nb-small-button" aria-label={`Clear ${lower}`} onClick={() => onChange(new Set())}>
          Clear
        </button>
        <span className="muted nb-count">
          {selected.size} of {options.length} selected
        </span>
      </div>
      <div className="nb-checkboxes">
        {options.map((o) => (
          <label key={o.value} className="nb-check">
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
