/**
 * The pages' one stylesheet: mobile first, wider layout from 48rem;
 * WCAG AA contrast (text #1b1b1b on white, links #0a4a8f, buttons white on
 * #0b6e2e / #8a1c1c); visible focus outlines; the Purpose block rules of
 * CDS-WG3-01 §9.2.2.4.
 */
export const STYLE = `
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f4f6f8;line-height:1.5;font-size:1rem}
a{color:#0a4a8f}
a:focus-visible,button:focus-visible,input:focus-visible,summary:focus-visible,[tabindex]:focus-visible{outline:3px solid #b35c00;outline-offset:2px}
.form-page{background:#fff;max-width:44rem;margin:0 auto;padding:1rem 1rem 2rem;min-height:100vh}
.header{border-bottom:1px solid #d0d7de;margin-bottom:1rem;padding-bottom:.5rem}
.brand{display:inline-flex;align-items:center;gap:.5rem;font-weight:700;text-decoration:none;color:#0b3d6e}
h1{font-size:1.4rem;margin:.5rem 0}
h2{font-size:1.15rem}
h3{font-size:1rem;margin:.75rem 0 .25rem}
.request{border:1px solid #c3ccd5;border-radius:.5rem;padding:.75rem 1rem;margin:1rem 0;background:#fbfcfd}
.request+.request{border-top:4px solid #0b5394}
fieldset{border:0;padding:0;margin:.75rem 0}
legend{font-weight:700;padding:0}
.entries{list-style:none;padding:0;margin:.25rem 0}
.entries li{display:flex;gap:.5rem;align-items:flex-start;padding:.4rem 0;border-bottom:1px solid #e6eaee}
.entries li[hidden]{display:none}
.entries input{width:1.4rem;height:1.4rem;flex:none;margin-top:.1rem}
.entries.scroll{max-height:22rem;overflow-y:auto;border:1px solid #c3ccd5;padding:0 .5rem}
.entry-details{color:#3d4650}
.example{color:#3d4650}
.purpose-content{white-space:pre-wrap;word-break:break-word;overflow:scroll;max-height:calc(10 * 1.5em);border-left:4px solid #8fa3b8;padding:.25rem .75rem;background:#f4f6f8}
.purpose-author{font-style:italic;margin:0}
label{display:block;margin-top:.75rem;font-weight:600}
label.inline,.entries label{display:inline;margin:0;font-weight:400}
input[type=text],input[type=password],input[type=search]{display:block;width:100%;padding:.6rem;font-size:1rem;border:1px solid #5c6670;border-radius:.25rem}
.buttons{display:flex;flex-direction:column;gap:.75rem;margin:1.25rem 0 .5rem}
.buttons form{margin:0}
button{font:inherit;cursor:pointer}
.approve,.decline{width:100%;padding:.85rem 1.5rem;font-size:1.1rem;font-weight:700;border-radius:.4rem;border:2px solid transparent}
.approve{background:#0b6e2e;color:#fff}
.decline{background:#fff;color:#8a1c1c;border-color:#8a1c1c}
button[disabled]{opacity:.6;cursor:wait}
.link-button{background:none;border:0;color:#0a4a8f;text-decoration:underline;padding:0}
.form-error,.field-error{color:#8a1c1c;font-weight:700}
.form-notice{color:#14532d;font-weight:700}
.has-error{border-left:4px solid #8a1c1c;padding-left:.75rem}
.note{color:#3d4650;font-size:.92rem}
.footer{border-top:1px solid #d0d7de;margin-top:1.5rem;padding-top:.75rem;font-size:.92rem}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.receipt dt{font-weight:700;margin-top:.5rem}
.receipt dd{margin:0}
@media (min-width:48rem){
  .form-page{margin:2rem auto;min-height:0;border-radius:.75rem;box-shadow:0 2px 12px rgba(0,0,0,.08);padding:2rem 2.5rem}
  .buttons{flex-direction:row}
  .approve,.decline{width:auto;min-width:12rem}
}
@media print{.approval,.footer form,.select-tools,.list-tools{display:none}}
`;
