export interface Problem {
  title?: string;
  detail?: string;
  errors?: { path: string; message: string }[];
}

export interface ApiResult<T> {
  ok: boolean;
  status: number;
  data: T;
  problem?: Problem;
  /** The route does not exist (yet): a colleague's endpoint that has not landed, or an older server. */
  missing: boolean;
  /** No answer at all: offline or timed out. */
  offline: boolean;
}

/** Every call the pages make. Never throws: screens decide how to show each outcome. */
export async function api<T = unknown>(
  method: string,
  path: string,
  opts: {
    token?: string | null;
    body?: unknown;
    raw?: string;
    contentType?: string;
    timeoutMs?: number;
  } = {},
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.raw !== undefined) headers["content-type"] = opts.contentType ?? "text/plain";
  try {
    const res = await fetch(path, {
      method,
      headers,
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
      cache: "no-store",
    });
    const text = await res.text();
    let data: unknown = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = text;
    }
    const problem = res.ok ? undefined : ((data ?? {}) as Problem);
    const missing = (res.status === 404 && /^No route/i.test(problem?.detail ?? "")) || res.status === 405;
    return { ok: res.ok, status: res.status, data: data as T, problem, missing, offline: false };
  } catch {
    return { ok: false, status: 0, data: null as T, missing: false, offline: true };
  }
}

/** One line for a failed call, with every invalid field named. */
export function problemText(r: ApiResult<unknown>): string {
  const p = r.problem;
  if (!p) return "";
  const fields = p.errors?.map((e) => `${e.path}: ${e.message}`).join("; ");
  return [p.detail || p.title, fields].filter(Boolean).join(" — ");
}
