/** Every error the server returns, with its code, HTTP status and an English message (the web app translates by code). */
export const ERRORS = {
  RT_ERR_BAD_REQUEST: { status: 400, message: 'The request is not valid.' },
  RT_ERR_UNAUTHORIZED: { status: 401, message: 'You need to join through an invitation link first.' },
  RT_ERR_FORBIDDEN: { status: 403, message: 'Your role does not allow this.' },
  RT_ERR_BAD_ORIGIN: { status: 403, message: 'Requests from this origin are not allowed.' },
  RT_ERR_NOT_FOUND: { status: 404, message: 'Not found.' },
  RT_ERR_INVITATION_INVALID: { status: 404, message: 'This invitation link is not valid.' },
  RT_ERR_INVITATION_REVOKED: { status: 410, message: 'This invitation link has been revoked.' },
  RT_ERR_INVITATION_EXPIRED: { status: 410, message: 'This invitation link has expired.' },
  RT_ERR_REMOVED: { status: 403, message: 'You have been removed from this meeting.' },
  RT_ERR_CONFLICT: { status: 409, message: 'That conflicts with the current state.' },
  RT_ERR_VOTE_CLOSED: { status: 409, message: 'This vote is closed: the ballot was not counted.' },
  RT_ERR_BAD_BALLOT: { status: 422, message: 'This ballot does not fit the vote.' },
  RT_ERR_TOO_LARGE: { status: 413, message: 'The payload is too large.' },
  RT_ERR_RATE_LIMITED: { status: 429, message: 'Too many requests; slow down.' },
  RT_ERR_INTERNAL: { status: 500, message: 'Something went wrong on the server.' },
} as const
export type ErrorCode = keyof typeof ERRORS

export interface ErrorBody {
  code: ErrorCode
  message: string
  /** Field-level details from schema validation, if any. */
  issues?: { path: string; message: string }[]
}

export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody }

export const errorBody = (code: ErrorCode, message?: string, issues?: ErrorBody['issues']): ErrorBody => ({
  code,
  message: message ?? ERRORS[code].message,
  ...(issues ? { issues } : {}),
})
