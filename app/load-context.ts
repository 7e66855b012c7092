/** What the server (server/app.ts) hands every loader and action. */
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request nonce, allowed by the Content-Security-Policy for our scripts. */
    cspNonce: string;
    /** The client's address: the socket's, or from X-Forwarded-For only as far as TRUST_PROXY's proxies vouch for it. */
    clientIp: string;
    /** The base of absolute links: APP_URL, else http://localhost:<port> — never the request's Host. */
    appUrl: string;
  }
}

export {};
