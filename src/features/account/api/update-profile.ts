import { mutationOptions } from '@tanstack/react-query';
import { z } from 'zod';
import { supabase } from '@/lib/supabase';
import { getMyProfileQueryOptions, getMyUserId, PROFILE_COLUMNS, profileSchema, type Profile } from './get-my-profile';
import { accountMutationKeys } from './keys';

/**
 * What a student may change about themselves; the limits mirror the checks on public.profiles so the
 * form can say what is wrong before a round trip.
 */
export const profileInputSchema = z.object({
  display_name: z.string().trim().min(1, 'Enter a display name').max(80, 'Keep your display name under 80 characters'),
  leaderboard_alias: z
    .string()
    .trim()
    .refine((s) => s === '' || (s.length >= 2 && s.length <= 40), 'An alias is 2 to 40 characters, or leave it empty')
    .transform((s) => (s === '' ? null : s)),
  leaderboard_opt_out: z.boolean(),
  desired_retention: z.number().min(0.7, 'Choose at least 70 %').max(0.97, 'Choose at most 97 %'),
});
export type ProfileInput = z.input<typeof profileInputSchema>;

/** Saves the four columns students may update (the grant allows no others) and returns the stored row. */
export async function updateProfile(input: ProfileInput): Promise<Profile> {
  const values = profileInputSchema.parse(input);
  const id = await getMyUserId();
  const { data } = await supabase.from('profiles').update(values).eq('id', id).select(PROFILE_COLUMNS).single().throwOnError();
  return profileSchema.parse(data);
}

/** Saving the profile: the stored row replaces the cached one (only this user edits it, so no refetch). */
export function updateProfileMutationOptions() {
  return mutationOptions({
    mutationKey: accountMutationKeys.updateProfile,
    mutationFn: updateProfile,
    meta: { errorMessage: 'Your profile was not saved.', errorInline: true },
    onSuccess: (saved, _input, _onMutateResult, { client }) => client.setQueryData(getMyProfileQueryOptions().queryKey, saved),
  });
}
