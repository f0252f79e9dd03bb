import type { ReactNode } from 'react'
import type { ClientError } from '../api/http.ts'
import { ErrorMessage } from './ErrorText.tsx'

/** What a field's control must carry so its label, hint and error reach assistive technology. */
export interface ControlProps {
  id: string
  'aria-describedby'?: string
  'aria-invalid'?: true
}

/**
 * A label, its control, an optional hint and an optional error, wired together: the label
 * names the control (`htmlFor`), the hint and the error describe it (`aria-describedby`), and
 * an error marks it invalid. The control comes from `children`, which gets the props to spread
 * on it, so one field serves inputs, selects and textareas alike.
 *
 * Without `wrap` the parts are siblings in the enclosing `.form` column; with it they sit in
 * a `.field` column of their own, for fields side by side in a row.
 */
export const Field = ({
  id,
  label,
  hint,
  error,
  invalid,
  wrap = false,
  children,
}: {
  id: string
  label: ReactNode
  hint?: ReactNode
  /**
   * An error under the field; `null` keeps its live region in the page, empty, so it is
   * announced when it appears. Leave it out when the field has no error of its own.
   */
  error?: ClientError | null
  /** Whether the error is about this field's value (default: whenever there is one). */
  invalid?: boolean
  wrap?: boolean
  children: (control: ControlProps) => ReactNode
}) => {
  const hintId = `${id}-hint`
  const errorId = `${id}-error`
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ')
  const control: ControlProps = { id }
  if (describedBy) control['aria-describedby'] = describedBy
  if (error && (invalid ?? true)) control['aria-invalid'] = true
  const parts = (
    <>
      <label htmlFor={id}>{label}</label>
      {children(control)}
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      {error !== undefined ? <ErrorMessage id={errorId} error={error} /> : null}
    </>
  )
  return wrap ? <div className="field">{parts}</div> : parts
}
