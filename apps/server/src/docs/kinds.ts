import {
  BRIEF_KIND,
  type DocKindSpec,
  DRAFT_KIND,
  FAMILY_MEMBER_PATTERN,
  PRIORITIES_KIND,
} from '@roundtable/doc-schema'
import { type MeetingId, PERMISSIONS, type Role } from '@roundtable/protocol'

/** Who may write a document of a kind. */
export interface WritePolicy {
  /** Roles whose updates are accepted at all; everyone else's are dropped, as an observer's. */
  readonly roles: readonly Role[]
}

/** One document kind as the server knows it: its shape and content (from doc-schema) and its write policy. */
export interface DocKindDefinition {
  readonly spec: DocKindSpec
  readonly write: WritePolicy
}

export interface ParsedDocName {
  meetingId: MeetingId
  kind: DocKindDefinition
}

/** Today every kind is written by whoever may write documents (chair and delegates). */
const WRITERS: WritePolicy = { roles: PERMISSIONS.writeDoc }

export const DEFAULT_DOC_KINDS: readonly DocKindDefinition[] = [
  { spec: BRIEF_KIND, write: WRITERS },
  { spec: PRIORITIES_KIND, write: WRITERS },
  { spec: DRAFT_KIND, write: WRITERS },
]

const DOC_NAME = /^([A-Za-z0-9_-]{1,64})\.([a-z][a-z0-9-]{0,31})$/

/**
 * The document kinds this server serves: `<meetingId>.<kind>` names a document, the kind says its
 * shape and who may write it. A document can also be made read-only for everyone at run time
 * (`setWritable`: e.g. the board freezes the priorities list); server-side writes (`DocHub.transact`)
 * still go through, shape-checked.
 */
export class DocKinds {
  private readonly byName = new Map<string, DocKindDefinition>()
  private readonly frozen = new Map<string, string>()

  constructor(defs: readonly DocKindDefinition[] = DEFAULT_DOC_KINDS) {
    for (const d of defs) {
      if (!DOC_NAME.test(`m.${d.spec.name}`)) throw new Error(`invalid document kind name: ${d.spec.name}`)
      if (this.byName.has(d.spec.name)) throw new Error(`document kind registered twice: ${d.spec.name}`)
      this.byName.set(d.spec.name, d)
    }
  }

  get names(): string[] {
    return [...this.byName.keys()]
  }

  get(kind: string): DocKindDefinition | undefined {
    return this.byName.get(kind)
  }

  /** Parses `<meetingId>.<kind>`; anything else, or a kind not registered, is not a document of ours. */
  parse(name: string): ParsedDocName | null {
    const m = DOC_NAME.exec(name)
    if (!m) return null
    // A family's bare name (`<meetingId>.draft`) names no document: only its members do.
    const direct = this.byName.get(m[2])
    const kind = direct && !direct.spec.family ? direct : this.family(m[2])
    return kind ? { meetingId: m[1] as MeetingId, kind } : null
  }

  /** `draft-<member>`: a kind registered as a family of documents. */
  private family(suffix: string): DocKindDefinition | undefined {
    const dash = suffix.indexOf('-')
    if (dash < 0 || !FAMILY_MEMBER_PATTERN.test(suffix.slice(dash + 1))) return undefined
    const kind = this.byName.get(suffix.slice(0, dash))
    return kind?.spec.family ? kind : undefined
  }

  /** Whether this role may write documents of this kind at all (frozen or not). */
  roleMayWrite(kind: DocKindDefinition, role: Role): boolean {
    return kind.write.roles.includes(role)
  }

  /** Why nobody may write this document now, or null. */
  frozenReason(docName: string): string | null {
    return this.frozen.get(docName) ?? null
  }

  /**
   * Freezes (`false`) or unfreezes a document for every connection at once: from the next frame on,
   * the updates of its connections are dropped (read at each update, so nothing needs re-applying).
   * Per process: with several, each must be told.
   */
  setWritable(docName: string, writable: boolean, reason = 'frozen'): void {
    if (writable) this.frozen.delete(docName)
    else this.frozen.set(docName, reason)
  }
}
