/** What the server (server/app.ts) hands every loader and action. */
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request nonce, allowed by the Content-Security-Policy for our scripts. */
    cspNonce: string;
    /** The client's address: the socket's, or from X-Forwarded-For only as far as TRUST_PROXY's proxies vouch for it. */
    clientIp: string;
    /** The base of absolute links: APP_URL, else http://localhost:<port> — never the request's Host. */
    appUrl: string;
    /**
     * Resolves once the response can take more bytes (at once if it can, or if it is closed). A streamed body waits
     * on it between chunks, because Remix's writer does not honour backpressure and would otherwise queue a whole
     * recording in memory for a client that reads slowly. Absent where there is no socket (tests calling loaders).
     */
    responseDrained?: () => Promise<void>;
  }
}

export {};
