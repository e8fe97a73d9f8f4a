/** Small GraphQL-over-HTTP client for router tests. */
export interface GraphQLResponse {
  status: number;
  headers: Headers;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown> }[];
  };
}

export async function gql(
  url: string,
  query: string,
  options: { token?: string; headers?: Record<string, string>; variables?: Record<string, unknown> } = {},
): Promise<GraphQLResponse> {
  const res = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: JSON.stringify({ query, variables: options.variables }),
  });
  return { status: res.status, headers: res.headers, body: (await res.json()) as GraphQLResponse["body"] };
}
