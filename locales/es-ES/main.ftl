# avisa user-interface strings: Spanish (Spain).
# Every locale's main.ftl defines the same keys. Placeables ({ $x }) are wrapped in
# Unicode isolation marks when formatted, so they read correctly on RTL pages.

## The language itself

# The language's own name, shown in the language chooser.
language-name = Español (España)

## Site root and navigation

site-choose-language = Elija un idioma
nav-skip = Saltar al contenido
nav-index = Todos los avisos
nav-language = Idioma

## Locale index

index-title = Avisos de seguridad
index-intro = Avisos publicados en español, del más reciente al más antiguo.
index-empty = Todavía no se ha publicado ningún aviso en español.
index-available-in = Disponible en:
index-not-translated = Todavía no se ha traducido al español.
pager-label = Páginas del índice
pager-page = Página { $page } de { $total }
pager-previous = Más recientes
pager-next = Más antiguos

## Advisory kinds

kind-security = Seguridad
kind-non-security = No relacionado con la seguridad
kind-informational = Informativo

## Advisory details

meta-heading = Detalles del aviso
meta-id = Aviso
meta-kind = Tipo
meta-published = Publicado
meta-updated = Actualizado
meta-kb = Artículos de Knowledge Base
meta-cves = Identificadores CVE
meta-none = Ninguno
meta-affected = Software afectado
meta-revisions = Historial de revisiones
# Variables: $count (integer) — number of revisions.
meta-revision-count =
    { $count ->
        [one] { $count } revisión
       *[other] { $count } revisiones
    }
# Variables: $number (text) — revision number as written, e.g. "1.1".
meta-revision-number = Revisión { $number }
meta-references = Referencias
meta-legacy-url = Publicado originalmente en

## Reference types

ref-type-kb = Artículo de Knowledge Base
ref-type-advisory = Aviso de seguridad
ref-type-bulletin = Boletín de seguridad
ref-type-blog = Entrada de blog
ref-type-cve = Entrada CVE
ref-type-vendor = Información del fabricante
ref-type-other = Otro recurso

## Stale translations

# Variables: $from, $current (text) — revision numbers, e.g. "1.0" and "1.1".
stale-notice = Es posible que esta traducción no esté actualizada: se tradujo de la revisión { $from } y el aviso está ahora en la revisión { $current }.
stale-notice-unknown = Es posible que esta traducción no esté actualizada.

## Page parts

toc-title = En esta página
footnote-back = Volver a la referencia
alert-note = Nota
alert-tip = Sugerencia
alert-important = Importante
alert-warning = Advertencia
alert-caution = Precaución
footer-generated = Generado con avisa

## Feeds and redirects

# Variables: $site (text) — site title; $language (text) — language name.
feed-title = { $site } — { $language }
# Variables: $target (text) — the title of the page it moved to.
redirect-moved = Esta página se ha trasladado a { $target }.
redirect-link = Ir a la nueva página
