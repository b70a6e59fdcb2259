/** The server's minimum ([auth] minimum_password_length in supabase/config.toml); shown next to the field. */
export const MIN_PASSWORD_LENGTH = 6;
