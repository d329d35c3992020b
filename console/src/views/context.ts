/** What a view receives: the route's query, and a way to redraw itself with a message on top. */
export interface ViewContext {
  query: URLSearchParams;
  /** Draws the current view again, with a message shown above it. */
  refresh(flash?: Flash): void;
}

export interface Flash {
  text: string;
  error?: boolean;
}
