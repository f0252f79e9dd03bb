import { readFileSync } from 'node:fs'
import { inflateSync } from 'node:zlib'
import { createRequire } from 'node:module'
import type { DraftBlock, DraftInline } from '@roundtable/protocol'
import type PDFKit from 'pdfkit'
import { inlineMarkdown, markdownOf, plainInlines } from '../drafting/text.ts'

/**
 * One document model for every output (a draft, the minutes): a title, lines under it (meeting,
 * date, version), and blocks as drafts hold them. Markdown, DOCX (the `docx` package) and PDF
 * (`pdfkit`, with DejaVu Sans embedded so accents, « guillemets » and narrow no-break spaces print).
 */
export interface OutputDocument {
  title: string
  /** Lines under the title: meeting, date, version. */
  meta: string[]
  blocks: DraftBlock[]
  /** BCP 47, for the file's language tag. */
  lang: 'en' | 'fr'
}

export const OUTPUT_FORMATS = ['md', 'docx', 'pdf'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
}

export const renderMarkdown = (d: OutputDocument): string =>
  `# ${inlineMarkdown([{ text: d.title }])}\n\n${d.meta.map((m) => `*${inlineMarkdown([{ text: m }])}*`).join('  \n')}\n\n${markdownOf(d.blocks)}\n`

/* ---------- DOCX ---------- */

type Docx = typeof import('docx')

/** The DOCX writer over the `docx` package, loaded on the first export (not at every server start). */
const docxWriter = ({
  AlignmentType,
  Document,
  HeadingLevel,
  LevelFormat,
  Packer,
  Paragraph,
  TextRun,
}: Docx): ((d: OutputDocument) => Promise<Buffer>) => {
  const runs = (inlines: DraftInline[]): import('docx').ParagraphChild[] =>
    inlines.map((i) =>
      i.text === '\n'
        ? new TextRun({ break: 1 })
        : new TextRun({
            text: i.text,
            bold: i.bold,
            italics: i.italic,
            strike: i.strike,
            ...(i.underline ? { underline: {} } : {}),
            ...(i.code ? { font: 'Courier New' } : {}),
          }),
    )

  const HEADINGS = [
    HeadingLevel.HEADING_1,
    HeadingLevel.HEADING_2,
    HeadingLevel.HEADING_3,
    HeadingLevel.HEADING_4,
    HeadingLevel.HEADING_5,
    HeadingLevel.HEADING_6,
  ] as const

  const docxBlocks = (
    blocks: DraftBlock[],
    depth: number,
    lists: { next: number },
  ): InstanceType<Docx['Paragraph']>[] => blocks.flatMap((b) => docxBlock(b, depth, lists))

  function docxBlock(
    b: DraftBlock,
    depth: number,
    lists: { next: number },
  ): InstanceType<Docx['Paragraph']>[] {
    switch (b.type) {
      case 'heading':
        // The document title is Heading 1: a draft's headings sit one level below it.
        return [new Paragraph({ heading: HEADINGS[Math.min(5, b.level)], children: runs(b.content) })]
      case 'paragraph':
        return [new Paragraph({ children: runs(b.content) })]
      case 'bulletList':
      case 'orderedList': {
        // Each ordered list restarts at 1: its own numbering instance.
        const instance = lists.next++
        return b.items.flatMap((item) =>
          item.flatMap((inner, k) =>
            inner.type === 'paragraph' && k === 0
              ? [
                  new Paragraph({
                    children: runs(inner.content),
                    ...(b.type === 'bulletList'
                      ? { bullet: { level: Math.min(depth, 8) } }
                      : { numbering: { reference: 'ordered', level: Math.min(depth, 8), instance } }),
                  }),
                ]
              : docxBlocks([inner], depth + 1, lists),
          ),
        )
      }
      case 'blockquote':
        return docxBlocks(b.blocks, depth, lists).map((p) => p)
      case 'codeBlock':
        return b.text
          .split('\n')
          .map((line) => new Paragraph({ children: [new TextRun({ text: line, font: 'Courier New' })] }))
      case 'horizontalRule':
        return [
          new Paragraph({
            border: { bottom: { style: 'single', size: 6, color: '999999', space: 1 } },
            children: [],
          }),
        ]
    }
  }

  return async (d: OutputDocument): Promise<Buffer> => {
    const doc = new Document({
      title: d.title,
      creator: 'Roundtable',
      styles: {
        default: { document: { run: { language: { value: d.lang === 'fr' ? 'fr-FR' : 'en-GB' } } } },
      },
      numbering: {
        config: [
          {
            reference: 'ordered',
            levels: Array.from({ length: 9 }, (_, level) => ({
              level,
              format: LevelFormat.DECIMAL,
              text: `%${level + 1}.`,
              alignment: AlignmentType.START,
              style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
            })),
          },
        ],
      },
      sections: [
        {
          children: [
            new Paragraph({ heading: HeadingLevel.TITLE, children: [new TextRun(d.title)] }),
            ...d.meta.map((m) => new Paragraph({ children: [new TextRun({ text: m, italics: true })] })),
            ...docxBlocks(d.blocks, 0, { next: 1 }),
          ],
        },
      ],
    })
    return Packer.toBuffer(doc)
  }
}

let docxWriting: Promise<(d: OutputDocument) => Promise<Buffer>> | null = null
export const renderDocx = async (d: OutputDocument): Promise<Buffer> => {
  docxWriting ??= import('docx').then(docxWriter)
  return (await docxWriting)(d)
}

/* ---------- PDF ---------- */

const require = createRequire(import.meta.url)
const fontFile = (weight: 400 | 700, style: 'normal' | 'italic') =>
  require.resolve(`@fontsource/dejavu-sans/files/dejavu-sans-latin-${weight}-${style}.woff`)
/**
 * WOFF → TrueType, once per face: fontkit reads WOFF too, but inflates its tables with a JavaScript
 * inflater on every use — a one-page PDF took 20 s that way, ≈ 100 ms from the plain font.
 */
export const woffToSfnt = (woff: Buffer): Buffer => {
  if (woff.toString('latin1', 0, 4) !== 'wOFF') return woff
  const numTables = woff.readUInt16BE(12)
  const tables = Array.from({ length: numTables }, (_, i) => {
    const at = 44 + i * 20
    const offset = woff.readUInt32BE(at + 4)
    const compLength = woff.readUInt32BE(at + 8)
    const origLength = woff.readUInt32BE(at + 12)
    const raw = woff.subarray(offset, offset + compLength)
    return {
      tag: woff.subarray(at, at + 4),
      checksum: woff.readUInt32BE(at + 16),
      data: compLength < origLength ? inflateSync(raw) : raw,
    }
  })
  const entrySelector = Math.floor(Math.log2(numTables))
  const searchRange = 2 ** entrySelector * 16
  const head = Buffer.alloc(12 + numTables * 16)
  head.writeUInt32BE(woff.readUInt32BE(4), 0)
  head.writeUInt16BE(numTables, 4)
  head.writeUInt16BE(searchRange, 6)
  head.writeUInt16BE(entrySelector, 8)
  head.writeUInt16BE(numTables * 16 - searchRange, 10)
  const bodies: Buffer[] = []
  let offset = head.length
  tables.forEach((t, i) => {
    t.tag.copy(head, 12 + i * 16)
    head.writeUInt32BE(t.checksum, 12 + i * 16 + 4)
    head.writeUInt32BE(offset, 12 + i * 16 + 8)
    head.writeUInt32BE(t.data.length, 12 + i * 16 + 12)
    // Tables start on 4-byte boundaries.
    const padded = Buffer.alloc(Math.ceil(t.data.length / 4) * 4)
    t.data.copy(padded)
    bodies.push(padded)
    offset += padded.length
  })
  return Buffer.concat([head, ...bodies])
}

/** Read once: four faces, ≈ 120 KB of WOFF together, embedded (subset) in every PDF. */
let fonts: Record<'regular' | 'bold' | 'italic' | 'boldItalic', Buffer> | null = null
const loadFonts = () =>
  (fonts ??= {
    regular: woffToSfnt(readFileSync(fontFile(400, 'normal'))),
    bold: woffToSfnt(readFileSync(fontFile(700, 'normal'))),
    italic: woffToSfnt(readFileSync(fontFile(400, 'italic'))),
    boldItalic: woffToSfnt(readFileSync(fontFile(700, 'italic'))),
  })

const faceOf = (i: DraftInline) =>
  i.bold ? (i.italic ? 'boldItalic' : 'bold') : i.italic ? 'italic' : 'regular'

const HEADING_SIZES = [20, 16, 14, 12, 11, 11]

/** pdfkit, loaded on the first PDF (not at every server start). */
let pdfkit: Promise<typeof PDFKit> | null = null
export const renderPdf = async (d: OutputDocument): Promise<Buffer> => {
  pdfkit ??= import('pdfkit').then((m) => m.default)
  const PDFDocument = await pdfkit
  return new Promise((resolve, reject) => {
    const pdf = new PDFDocument({
      size: 'A4',
      margin: 56,
      lang: d.lang === 'fr' ? 'fr-FR' : 'en-GB',
      info: { Title: d.title, Creator: 'Roundtable' },
      displayTitle: true,
    })
    const chunks: Buffer[] = []
    pdf.on('data', (c: Buffer) => chunks.push(c))
    pdf.on('end', () => resolve(Buffer.concat(chunks)))
    pdf.on('error', reject)
    for (const [name, data] of Object.entries(loadFonts())) pdf.registerFont(name, data)

    const line = (inlines: DraftInline[], size: number, opts: { indent?: number; prefix?: string } = {}) => {
      const parts = opts.prefix ? [{ text: opts.prefix }, ...inlines] : inlines
      if (parts.length === 0 || plainInlines(parts) === '') {
        pdf.moveDown(0.5)
        return
      }
      parts.forEach((i, k) => {
        pdf
          .font(faceOf(i))
          .fontSize(size)
          .text(i.text, k === 0 ? 56 + (opts.indent ?? 0) : undefined, undefined, {
            continued: k < parts.length - 1,
            underline: Boolean(i.underline),
            strike: Boolean(i.strike),
          })
      })
      pdf.moveDown(0.3)
    }
    const blocks = (bs: DraftBlock[], indent: number) => {
      for (const b of bs) {
        switch (b.type) {
          case 'heading':
            pdf.moveDown(0.4)
            line(
              b.content.map((i) => ({ ...i, bold: true as const })),
              HEADING_SIZES[Math.min(5, b.level - 1)],
              { indent },
            )
            break
          case 'paragraph':
            line(b.content, 11, { indent })
            break
          case 'bulletList':
          case 'orderedList':
            b.items.forEach((item, n) => {
              const [first, ...rest] = item
              const prefix = b.type === 'bulletList' ? '•  ' : `${n + 1}.  `
              if (first?.type === 'paragraph') line(first.content, 11, { indent: indent + 14, prefix })
              else if (first) blocks([first], indent + 14)
              blocks(rest, indent + 28)
            })
            break
          case 'blockquote':
            blocks(b.blocks, indent + 20)
            break
          case 'codeBlock':
            line([{ text: b.text }], 10, { indent })
            break
          case 'horizontalRule':
            pdf.moveDown(0.3)
            pdf
              .moveTo(56, pdf.y)
              .lineTo(pdf.page.width - 56, pdf.y)
              .stroke()
            pdf.moveDown(0.5)
            break
        }
      }
    }
    line([{ text: d.title, bold: true }], 22)
    for (const m of d.meta) line([{ text: m, italic: true }], 10)
    pdf.moveDown(0.5)
    blocks(d.blocks, 0)
    pdf.end()
  })
}

export const render = async (d: OutputDocument, format: OutputFormat): Promise<Buffer> => {
  switch (format) {
    case 'md':
      return Buffer.from(renderMarkdown(d), 'utf8')
    case 'docx':
      return renderDocx(d)
    case 'pdf':
      return renderPdf(d)
  }
}
