import type { ErrorBody, ErrorCode } from '@roundtable/protocol'

/** Errors at the HTTP boundary are values; the UI translates `code`. */
export type Result<T> = { data: T; error?: undefined } | { data?: undefined; error: ClientError }

/** A server error code, or one of ours when the server could not answer. */
export type ClientErrorCode = ErrorCode | 'RT_ERR_NETWORK' | 'RT_ERR_TIMEOUT'
export interface ClientError {
  code: ClientErrorCode
  message: string
  issues?: ErrorBody['issues']
}

const isErrorBody = (v: unknown): v is ErrorBody =>
  typeof v === 'object' && v !== null && typeof (v as ErrorBody).code === 'string'

/** Same-origin JSON request; the session rides in an httpOnly cookie. */
export const request = async <T>(
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<Result<T>> => {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch (err) {
    return { error: { code: 'RT_ERR_NETWORK', message: String(err) } }
  }
  let json: unknown = null
  try {
    json = await res.json()
  } catch {
    // an empty or non-JSON body: judged by the status below
  }
  if (res.ok) return { data: json as T }
  if (isErrorBody(json)) return { error: { code: json.code, message: json.message, issues: json.issues } }
  return {
    error: { code: res.status >= 500 ? 'RT_ERR_INTERNAL' : 'RT_ERR_BAD_REQUEST', message: res.statusText },
  }
}
