import { ERRORS, type ErrorBody, type ErrorCode, errorBody } from '@roundtable/protocol'

/** The one error type the server throws on purpose; transports turn it into a reply from the table. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly issues?: ErrorBody['issues'],
  ) {
    super(message ?? ERRORS[code].message)
  }
  get status(): number {
    return ERRORS[this.code].status
  }
  toBody(): ErrorBody {
    return errorBody(this.code, this.message, this.issues)
  }
}

export const toErrorBody = (err: unknown): ErrorBody =>
  err instanceof AppError ? err.toBody() : errorBody('RT_ERR_INTERNAL')
