import type Database from 'better-sqlite3'

export type WriteRequest =
  | { op: 'append'; doc: string; updates: Uint8Array[] }
  | { op: 'compact'; doc: string; snapshot: Uint8Array; uptoSeq: number; stateVector: Uint8Array | null }
  | { op: 'run'; sql: string; params: unknown[] }
  | { op: 'many'; requests: WriteRequest[] }

export type WriteOutcome =
  | { ok: true; value: unknown }
  | { ok: false; error: { message: string; code?: string } }

export declare const openDatabase: (path: string, synchronous?: 'full' | 'normal') => Database.Database

export declare const createWriter: (db: Database.Database) => {
  group(requests: WriteRequest[]): WriteOutcome[]
}
