import { z } from 'zod'
import type { AuditEntry } from '../models.ts'
import { wire } from './define.ts'

/** The meeting's record: the audit log (minutes come later). */
export const RECORDS_COMMANDS = {
  'audit:list': wire<AuditEntry[]>()(
    'readAudit',
    z.strictObject({ afterSeq: z.number().int().min(0).default(0) }),
  ),
} as const
