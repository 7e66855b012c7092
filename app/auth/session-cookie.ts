/** The session cookie's name: read by lucia (app/auth/lucia.server.ts) and by the server's no-store rule (server/security.ts). */
export const SESSION_COOKIE = "attune_session";
