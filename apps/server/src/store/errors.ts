/** Errors a caller of the store may need to tell apart, for both dialects. */

/** Unique constraints the meeting relies on, by the name of the index that enforces them. */
export const UniqueConstraint = {
  /** One delegation name per meeting, ignoring ASCII letter case (migration 2). */
  delegationName: 'delegations_name_per_meeting',
} as const
export type UniqueConstraint = (typeof UniqueConstraint)[keyof typeof UniqueConstraint]

// better-sqlite3's extended result codes (passed on by the writer thread), and PostgreSQL's SQLSTATE.
const SQLITE_UNIQUE = new Set(['SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY'])
const PG_UNIQUE_VIOLATION = '23505'

/**
 * True when `err` is a store write refused for a duplicate key (any unique index or primary key), or,
 * given `constraint`, for a duplicate under that one: the service maps it to a conflict.
 */
export const isUniqueViolation = (err: unknown, constraint?: UniqueConstraint): boolean => {
  if (typeof err !== 'object' || err === null) return false
  const {
    code,
    message,
    constraint: pgConstraint,
  } = err as { code?: unknown; message?: unknown; constraint?: unknown }
  if (code === PG_UNIQUE_VIOLATION) return constraint === undefined || pgConstraint === constraint
  if (typeof code === 'string' && SQLITE_UNIQUE.has(code))
    // SQLite names an index on an expression in its message: "UNIQUE constraint failed: index 'name'".
    return (
      constraint === undefined || (typeof message === 'string' && message.includes(`index '${constraint}'`))
    )
  return false
}

/** The database was migrated by a newer version of the server than this one: opening it is refused. */
export class SchemaTooNewError extends Error {
  constructor(
    readonly databaseVersion: number,
    readonly codeVersion: number,
  ) {
    super(
      `The database is at schema version ${databaseVersion}, but this server knows versions up to ${codeVersion} only: ` +
        'run the newer server it was migrated by (or restore a backup from before that), and do not start older servers against it.',
    )
    this.name = 'SchemaTooNewError'
  }
}
