/** The wire contract's download routes (outside tools rely on the same ones). */
export const EXPORT_FORMATS = ['md', 'docx', 'pdf'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

const base = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}`

/** Who reads an output: its words' language and the zone its times are shown in (none: UTC). */
export interface OutputReader {
  lang: 'en' | 'fr'
  tz?: string
}

const readerQuery = ({ lang, tz }: OutputReader) =>
  `${lang === 'fr' ? '&lang=fr' : ''}${tz ? `&tz=${encodeURIComponent(tz)}` : ''}`

/** The browser's IANA zone ("Europe/Paris"), if it tells one. */
export const browserTimeZone = (): string | undefined => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined
  } catch {
    return undefined
  }
}

export const draftExportUrl = (
  meetingId: string,
  draftId: string,
  format: ExportFormat,
  reader: OutputReader = { lang: 'en' },
) => `${base(meetingId)}/drafts/${encodeURIComponent(draftId)}/export?format=${format}${readerQuery(reader)}`

export const minutesUrl = (meetingId: string, format: ExportFormat, lang: 'en' | 'fr', tz?: string) =>
  `${base(meetingId)}/minutes?format=${format}${readerQuery({ lang, tz })}`

export const archiveUrl = (meetingId: string) => `${base(meetingId)}/archive`

export const versionUrl = (meetingId: string, draftId: string, versionId: string) =>
  `${base(meetingId)}/drafts/${encodeURIComponent(draftId)}/versions/${encodeURIComponent(versionId)}`
