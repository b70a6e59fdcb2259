import { afterEach, expect, test } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import { PostgrestError } from '@supabase/supabase-js';
import { WriteError, WriteFailureNotice } from '@/components/write-failure';
import { writeFailureNotice } from '@/lib/query-client';
import { NetworkError } from '@/lib/network/network-error';

afterEach(() => writeFailureNotice.set(null));

test('WriteError is always in place (so inputs can point at it), empty until the write fails', () => {
  expect(renderToStaticMarkup(<WriteError id="e" error={null} meta={{ errorInline: true }} />)).toBe('<p id="e" role="alert" class="form-error"></p>');
  const refused = new PostgrestError({ code: 'editor_not_found', message: 'No instructor has the email a@b.c.', details: '', hint: 'Ask them to sign up.' });
  expect(renderToStaticMarkup(<WriteError error={refused} meta={{ errorInline: true, serverWording: true }} />)).toBe(
    '<p role="alert" class="form-error">No instructor has the email a@b.c. Ask them to sign up.</p>',
  );
});

test("WriteError shows the form's own words instead when it has them (a check before sending, a conflict)", () => {
  expect(renderToStaticMarkup(<WriteError error={new NetworkError('offline')} meta={undefined} message="Enter a name for the cohort" />)).toContain(
    '>Enter a name for the cohort</p>',
  );
});

test('the notice is absent until a write fails, then an alert with its message and a Dismiss button', () => {
  expect(renderToStaticMarkup(<WriteFailureNotice />)).toBe('');
  writeFailureNotice.set({ id: 1, writeKey: '["auth","sign-out"]', message: "Couldn't sign out. Something went wrong — try again." });
  const html = renderToStaticMarkup(<WriteFailureNotice />);
  expect(html).toMatch(/^<div role="alert" class="write-notice">/);
  expect(html).toContain("<p>Couldn&#x27;t sign out. Something went wrong — try again.</p>");
  expect(html).toContain('<button type="button" class="button">Dismiss</button>');
});
