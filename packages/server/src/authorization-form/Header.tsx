/** @jsxImportSource preact */
/** Header Section (CDS-WG3-01 §9.2.1.1): who the Server is and that this is an authorization request; no site menus. */
import { LOGO_DATA_URI, type Brand } from "./brand.js";

export function Header({ brand, title }: { brand: Brand; title: string }) {
  return (
    <header class="header">
      <a href={brand.website} target="_blank" rel="noopener noreferrer" class="brand">
        <img src={LOGO_DATA_URI} alt={`${brand.name} logo`} width={40} height={40} />
        <span>{brand.name}</span>
      </a>
      <h1>{title}</h1>
    </header>
  );
}
