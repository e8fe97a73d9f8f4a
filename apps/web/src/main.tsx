import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router";
import { ApolloProvider } from "@apollo/client/react";
import "./styles.css";
import "./i18n";
import { createApolloClient } from "./apollo";
import { App } from "./App";
import { LiveContext } from "./components/Live";

const { client, ws } = createApolloClient();

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ApolloProvider client={client}>
      <LiveContext.Provider value={ws.live}>
        <BrowserRouter>
          <App />
        </BrowserRouter>
      </LiveContext.Provider>
    </ApolloProvider>
  </StrictMode>,
);
