import './account.css';
import { useId, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from '@tanstack/react-query';
import { getMyProfileQueryOptions, type Profile } from '@/features/account/api/get-my-profile';
import { profileInputSchema, updateProfileMutationOptions } from '@/features/account/api/update-profile';
import { WriteError } from '@/components/write-failure';

/** The profile section of settings: loads the row, then hands it to the form. */
export function ProfileSettings() {
  const query = useQuery({
    ...getMyProfileQueryOptions(),
    // Only a profile that never loaded is the boundary's business; a failed background refresh keeps the form.
    throwOnError: (_error, q) => q.state.data === undefined,
  });
  if (query.data === undefined) {
    return (
      <p role="status" className="muted">
        Loading your profile…
      </p>
    );
  }
  return <ProfileForm profile={query.data} />;
}

type FieldErrors = Partial<Record<'display_name' | 'leaderboard_alias', string>>;

function ProfileForm({ profile }: { profile: Profile }) {
  const [displayName, setDisplayName] = useState(profile.display_name);
  const [alias, setAlias] = useState(profile.leaderboard_alias ?? '');
  const [optOut, setOptOut] = useState(profile.leaderboard_opt_out);
  const [retention, setRetention] = useState(Math.round(profile.desired_retention * 100));
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const ids = { name: useId(), nameError: useId(), alias: useId(), aliasHint: useId(), aliasError: useId(), optOut: useId(), optOutHint: useId(), retention: useId(), retentionHint: useId() };

  const options = updateProfileMutationOptions();
  const mutation = useMutation(options);

  // Editing after a save or a failure clears the old status so it never describes values it did not see.
  function edited() {
    if (mutation.isSuccess || mutation.isError) mutation.reset();
  }

  function handleSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const input = { display_name: displayName, leaderboard_alias: alias, leaderboard_opt_out: optOut, desired_retention: retention / 100 };
    const parsed = profileInputSchema.safeParse(input);
    if (!parsed.success) {
      const errors: FieldErrors = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0];
        if (field === 'display_name' || field === 'leaderboard_alias') errors[field] ??= issue.message;
      }
      setFieldErrors(errors);
      return;
    }
    setFieldErrors({});
    mutation.mutate(input);
  }

  return (
    <form className="stack" onSubmit={handleSubmit} noValidate aria-labelledby="profile-heading">
      <h2 id="profile-heading">Profile</h2>
      <div className="field">
        <label htmlFor={ids.name}>Display name</label>
        <input
          id={ids.name}
          type="text"
          autoComplete="name"
          value={displayName}
          onChange={(e) => {
            setDisplayName(e.target.value);
            edited();
          }}
          aria-invalid={fieldErrors.display_name ? true : undefined}
          aria-describedby={fieldErrors.display_name ? ids.nameError : undefined}
        />
        <p id={ids.nameError} className="form-error">
          {fieldErrors.display_name}
        </p>
      </div>
      <div className="field">
        <label htmlFor={ids.alias}>Leaderboard alias</label>
        <input
          id={ids.alias}
          type="text"
          autoComplete="off"
          value={alias}
          onChange={(e) => {
            setAlias(e.target.value);
            edited();
          }}
          aria-invalid={fieldErrors.leaderboard_alias ? true : undefined}
          aria-describedby={[ids.aliasHint, fieldErrors.leaderboard_alias ? ids.aliasError : ''].join(' ').trim()}
        />
        <p id={ids.aliasHint} className="muted">
          What classmates see on leaderboards. Leave it empty to appear as an anonymous “Student” code. Your instructor
          always sees your display name.
        </p>
        <p id={ids.aliasError} className="form-error">
          {fieldErrors.leaderboard_alias}
        </p>
      </div>
      <div className="checkbox-field">
        <input
          id={ids.optOut}
          type="checkbox"
          checked={optOut}
          onChange={(e) => {
            setOptOut(e.target.checked);
            edited();
          }}
          aria-describedby={ids.optOutHint}
        />
        <div>
          <label htmlFor={ids.optOut}>Hide me from leaderboards</label>
          <p id={ids.optOutHint} className="muted">
            Classmates won't see you ranked. Your own stats and percentile keep working.
          </p>
        </div>
      </div>
      <div className="field">
        <label htmlFor={ids.retention}>
          Review retention: <output htmlFor={ids.retention}>{retention}&nbsp;%</output>
        </label>
        <input
          id={ids.retention}
          type="range"
          min={70}
          max={97}
          step={1}
          value={retention}
          onChange={(e) => {
            setRetention(Number(e.target.value));
            edited();
          }}
          aria-valuetext={`${retention} percent`}
          aria-describedby={ids.retentionHint}
        />
        <p id={ids.retentionHint} className="muted">
          The chance you still know a question when it comes back for review; higher means more reviews.
        </p>
      </div>
      <div className="row">
        <button type="submit" className="button button-primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : 'Save profile'}
        </button>
        <p role="status" className="muted">
          {mutation.isSuccess ? 'Saved.' : ''}
        </p>
      </div>
      <WriteError error={mutation.error} meta={options.meta} />
    </form>
  );
}
