/**
 * WebSocket close codes used by the /yjs endpoint, in one place (4000–4999 are application codes).
 * y-websocket clients treat 4400–4499 as final (like HTTP 4xx) and reconnect on anything else,
 * 4500–4599 being "try again later".
 */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  BadFrame: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  TooLarge: 4413,
  /** An update that would leave the document out of its kind's shape: refused, nothing stored; the reason says what. */
  DocumentShape: 4422,
  /** The document has reached its size cap (`DOC_MAX_BYTES`): an update adding content is refused, nothing stored; deletions still go through. */
  DocumentFull: 4423,
  /** This participant already has the most connections to this document one process allows (`DOC_CONNECTIONS_PER_PARTICIPANT`). */
  TooManyConnections: 4429,
  /** An update building on content this server does not have yet (another tab's edit still on its way): reconnect and resync. */
  Resync: 4509,
  /** Too far behind: reconnect and resync. In the retry range so stock clients come back. */
  SlowConsumer: 4529,
  SessionEnded: 4410,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]
