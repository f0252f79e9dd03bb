import type { DraftBlock, DraftInline } from '@roundtable/protocol'
import type { ReactNode } from 'react'

const inline = (runs: DraftInline[]): ReactNode =>
  runs.map((r, i) => {
    let n: ReactNode = r.text
    if (r.code) n = <code>{n}</code>
    if (r.bold) n = <strong>{n}</strong>
    if (r.italic) n = <em>{n}</em>
    if (r.underline) n = <u>{n}</u>
    if (r.strike) n = <s>{n}</s>
    // A link in a read-only version is shown, not followed: its target is whatever a writer typed.
    if (r.href) n = <span className="link-text">{n}</span>
    // biome-ignore lint/suspicious/noArrayIndexKey: a version's runs never reorder
    return <span key={i}>{n}</span>
  })

const Heading = ({ level, children }: { level: number; children: ReactNode }) => {
  // Inside the panel the draft's own headings sit under its h3.
  const l = Math.min(6, Math.max(4, level + 3))
  const Tag = `h${l}` as 'h4' | 'h5' | 'h6'
  return <Tag>{children}</Tag>
}

/** A draft's content as the server reads it (a version, read-only). */
export const Blocks = ({ blocks }: { blocks: DraftBlock[] }) => (
  <>
    {blocks.map((b, i) => {
      const key = i
      switch (b.type) {
        case 'heading':
          return (
            <Heading key={key} level={b.level}>
              {inline(b.content)}
            </Heading>
          )
        case 'paragraph':
          return <p key={key}>{inline(b.content)}</p>
        case 'bulletList':
        case 'orderedList': {
          const List = b.type === 'bulletList' ? 'ul' : 'ol'
          return (
            <List key={key}>
              {b.items.map((item, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: a version's items never reorder
                <li key={j}>
                  <Blocks blocks={item} />
                </li>
              ))}
            </List>
          )
        }
        case 'blockquote':
          return (
            <blockquote key={key}>
              <Blocks blocks={b.blocks} />
            </blockquote>
          )
        case 'codeBlock':
          return (
            <pre key={key}>
              <code>{b.text}</code>
            </pre>
          )
        case 'horizontalRule':
          return <hr key={key} />
        default:
          return null
      }
    })}
  </>
)
