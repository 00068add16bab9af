import DefaultTheme from "vitepress/theme";
import type { Theme } from "vitepress";
import UsagePlot from "./UsagePlot.vue";
import ValidatorBox from "./ValidatorBox.vue";
import "./custom.css";

export default {
  extends: DefaultTheme,
  enhanceApp({ app }) {
    app.component("ValidatorBox", ValidatorBox);
    app.component("UsagePlot", UsagePlot);
  },
} satisfies Theme;
