/** The wire contract's download routes (outside tools rely on the same ones). */
export const EXPORT_FORMATS = ['md', 'docx', 'pdf'] as const
export type ExportFormat = (typeof EXPORT_FORMATS)[number]

const base = (meetingId: string) => `/api/meetings/${encodeURIComponent(meetingId)}`

export const draftExportUrl = (meetingId: string, draftId: string, format: ExportFormat) =>
  `${base(meetingId)}/drafts/${encodeURIComponent(draftId)}/export?format=${format}`

export const minutesUrl = (meetingId: string, format: ExportFormat, lang: 'en' | 'fr') =>
  `${base(meetingId)}/minutes?format=${format}${lang === 'fr' ? '&lang=fr' : ''}`

export const archiveUrl = (meetingId: string) => `${base(meetingId)}/archive`

export const versionUrl = (meetingId: string, draftId: string, versionId: string) =>
  `${base(meetingId)}/drafts/${encodeURIComponent(draftId)}/versions/${encodeURIComponent(versionId)}`
