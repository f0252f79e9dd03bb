/** WebSocket close codes used by the /yjs endpoint, in one place (4000–4999 are application codes). */
export const CloseCode = {
  Normal: 1000,
  GoingAway: 1001,
  BadFrame: 4400,
  Unauthorized: 4401,
  Forbidden: 4403,
  NotFound: 4404,
  TooLarge: 4413,
  SlowConsumer: 4429,
  SessionEnded: 4410,
} as const
export type CloseCode = (typeof CloseCode)[keyof typeof CloseCode]
