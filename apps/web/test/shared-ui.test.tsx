import i18next from 'i18next'
import { renderToStaticMarkup } from 'react-dom/server'
import { initReactI18next } from 'react-i18next'
import { beforeAll, describe, expect, it } from 'vitest'
import en from '../src/shared/i18n/en.json'
import type { ClientError } from '../src/shared/api/http.ts'
import { Field } from '../src/shared/ui/Field.tsx'
import { LoadState } from '../src/shared/ui/LoadState.tsx'

// Static markup is enough here: these two only wire attributes and pick what to show; nothing
// runs after the first render. (The error boundary needs a live page: tests/e2e/resilience.)
const html = (node: React.ReactNode) => renderToStaticMarkup(node)
beforeAll(async () => {
  await i18next
    .use(initReactI18next)
    .init({ resources: { en: { translation: en } }, lng: 'en', showSupportNotice: false })
})

const refused: ClientError = { code: 'RT_ERR_BAD_REQUEST', message: 'The request is not valid.' }

describe('Field', () => {
  it('names the control by its label and describes it by its hint and its error', () => {
    const out = html(
      <Field id="name" label="Your name" hint="As others will see it" error={refused}>
        {(c) => <input {...c} />}
      </Field>,
    )
    expect(out).toContain('<label for="name">Your name</label>')
    expect(out).toContain('<input id="name" aria-describedby="name-hint name-error" aria-invalid="true"/>')
    expect(out).toContain('<p id="name-hint" class="hint">As others will see it</p>')
    expect(out).toContain(`<p id="name-error" class="error" role="alert">${en.errors.RT_ERR_BAD_REQUEST}</p>`)
  })

  it('keeps an empty live region for an error to come, and describes nothing it does not show', () => {
    const out = html(
      <Field id="n" label="Name" error={null}>
        {(c) => <input {...c} />}
      </Field>,
    )
    expect(out).toContain('<input id="n"/>')
    expect(out).toContain('<p id="n-error" class="error" role="alert"></p>')
  })

  it('shows an error without marking the value invalid when it is not about the value', () => {
    const out = html(
      <Field id="n" label="Name" error={refused} invalid={false}>
        {(c) => <select {...c} />}
      </Field>,
    )
    expect(out).toContain('<select id="n" aria-describedby="n-error"></select>')
  })

  it('is siblings in the form by default, one .field column when wrapped', () => {
    const bare = html(
      <Field id="a" label="A">
        {(c) => <input {...c} />}
      </Field>,
    )
    expect(bare).toBe('<label for="a">A</label><input id="a"/>')
    const wrapped = html(
      <Field wrap id="a" label="A">
        {(c) => <textarea {...c} />}
      </Field>,
    )
    expect(wrapped).toBe('<div class="field"><label for="a">A</label><textarea id="a"></textarea></div>')
  })
})

describe('LoadState', () => {
  const list = (xs: string[]) => (
    <ul>
      {xs.map((x) => (
        <li key={x}>{x}</li>
      ))}
    </ul>
  )

  it('waits in a status region, then shows the data', () => {
    expect(html(<LoadState data={null}>{list}</LoadState>)).toBe('<p role="status">Loading…</p>')
    expect(html(<LoadState data={null} loadingText="Claiming…" />)).toBe('<p role="status">Claiming…</p>')
    expect(html(<LoadState data={['a']}>{list}</LoadState>)).toBe('<ul><li>a</li></ul>')
  })

  it('on an error shows it and what to do next; after data, the error sits above the data', () => {
    const failed = html(
      <LoadState data={null} error={refused} failed={<p>Ask again</p>}>
        {list}
      </LoadState>,
    )
    expect(failed).toBe(`<p class="error" role="alert">${en.errors.RT_ERR_BAD_REQUEST}</p><p>Ask again</p>`)
    const stale = html(
      <LoadState data={['a']} error={refused} failed={<p>Ask again</p>}>
        {list}
      </LoadState>,
    )
    expect(stale).toBe(`<p class="error" role="alert">${en.errors.RT_ERR_BAD_REQUEST}</p><ul><li>a</li></ul>`)
  })
})
