/** What the router gives every screen. */
export type ScreenProps = {
  /** The `:name` parts of the route (`/commandes/:orderId` → `{ orderId }`). */
  params: Record<string, string>;
  /** The query after `?` in the hash (`?correction=<mutationId>`). */
  query: URLSearchParams;
};
