/** Small pieces of the item page: "+N more" collapse, evidence one click away, copyable values, the CSRF field, times. */
/** @jsxRuntime automatic @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import type { Evidence, Item } from '../../../domain/index.js';
import { CSRF_FIELD } from '../../context.js';

/** How many entries of a long group show before the rest collapse behind "+N more". */
export const SHOWN = 8;

/** A list whose entries past `shown` collapse behind "+N more" (details/summary: no script needed). */
export function MoreList<T>(props: { entries: readonly T[]; render: (e: T) => Child; shown?: number; label?: string }) {
  const shown = props.shown ?? SHOWN;
  const head = props.entries.slice(0, shown);
  const rest = props.entries.slice(shown);
  return (
    <>
      <ul>{head.map(props.render)}</ul>
      {rest.length > 0 ? (
        <details class="more"><summary>+{rest.length} more{props.label ? <span class="sr-only"> {props.label}</span> : null}</summary><ul>{rest.map(props.render)}</ul></details>
      ) : null}
    </>
  );
}

/** Table rows past `shown` collapse behind "+N more", into a continuation table with the same head. */
export function MoreRows<T>(props: { head: Child; rows: readonly T[]; render: (r: T) => Child; shown?: number; label: string; class?: string }) {
  const shown = props.shown ?? 25;
  const first = props.rows.slice(0, shown);
  const rest = props.rows.slice(shown);
  return (
    <>
      <table class={props.class}><thead>{props.head}</thead><tbody>{first.map(props.render)}</tbody></table>
      {rest.length > 0 ? (
        <details class="more">
          <summary>+{rest.length} more<span class="sr-only"> {props.label}</span></summary>
          <table class={props.class}><thead>{props.head}</thead><tbody>{rest.map(props.render)}</tbody></table>
        </details>
      ) : null}
    </>
  );
}

/** The outlet a piece of evidence was read from: merged facts name their report, a single report's facts need not. */
export function outletOf(item: Item, documentId: string | undefined): string | null {
  if (!documentId) return item.sources.length === 1 ? item.sources[0].outlet : null;
  return item.sources.find((s) => s.documentId === documentId)?.outlet ?? null;
}

/** The sentences and rules behind a fact, technique or IOC, one click away. */
export function EvidenceDetails(props: { item: Item; evidence: readonly Evidence[]; about: string }) {
  if (props.evidence.length === 0) return null;
  return (
    <details class="evidence">
      <summary>evidence<span class="sr-only"> for {props.about}</span></summary>
      {props.evidence.map((e) => {
        const outlet = outletOf(props.item, e.documentId);
        return (
          <figure>
            <blockquote>{e.text}</blockquote>
            <figcaption class="muted">rule <code>{e.rule}</code>{outlet ? ` · ${outlet}` : ''}</figcaption>
          </figure>
        );
      })}
    </details>
  );
}

/**
 * A value shown as selectable text (the no-script way to copy it) with copy buttons the script reveals. An IOC shows and
 * copies defanged by default, so a pasted ticket or chat message carries no live link; "copy raw" refangs it in the browser,
 * so the live value never sits in the page's HTML.
 */
export function CopyValue(props: { display: string; type?: string; raw?: boolean }) {
  return (
    <span class="copyable" data-type={props.type}>
      <code class="copy-value">{props.display}</code>
      <button type="button" class="copy noprint" data-copy="shown" hidden>Copy<span class="sr-only"> {props.display}</span></button>
      {props.raw ? <button type="button" class="copy noprint" data-copy="raw" hidden>Copy raw<span class="sr-only"> {props.display}</span></button> : null}
    </span>
  );
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** An ISO time as analysts read it: "2026-12-01 10:00 UTC". */
export const when = (iso: string) => `${iso.slice(0, 16).replace('T', ' ')} UTC`;
