/**
 * The path of a recording's media endpoint, /recordings/<id>/media: server/app.ts mounts the endpoint on it, and
 * the endpoint (media.server.ts) takes the id from it. No server-only imports, so the server can load it.
 */
export const MEDIA_PATH = /^\/recordings\/([^/]+)\/media\/?$/;

/** Longer ids are no id of ours: answered as no such recording without asking the database. */
export const MAX_RECORDING_ID_IN_PATH = 200;
