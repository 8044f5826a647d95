# avisa user-interface strings: Portuguese (Brazil).
# Every locale's main.ftl defines the same keys. Placeables ({ $x }) are wrapped in
# Unicode isolation marks when formatted, so they read correctly on RTL pages.

## The language itself

# The language's own name, shown in the language chooser.
language-name = Português (Brasil)

## Site root and navigation

site-choose-language = Escolha um idioma
nav-skip = Pular para o conteúdo
nav-index = Todos os comunicados
nav-language = Idioma

## Locale index

index-title = Comunicados de segurança
index-intro = Comunicados publicados em português, do mais recente ao mais antigo.
index-empty = Ainda não há comunicados publicados em português.
index-available-in = Disponível em:
index-not-translated = Ainda não traduzido para o português.
pager-label = Páginas do índice
pager-page = Página { $page } de { $total }
pager-previous = Mais recentes
pager-next = Mais antigos

## Advisory kinds

kind-security = Segurança
kind-non-security = Não relacionado à segurança
kind-informational = Informativo

## Advisory details

meta-heading = Detalhes do comunicado
meta-id = Comunicado
meta-kind = Tipo
meta-published = Publicado em
meta-updated = Atualizado em
meta-kb = Artigos da Base de Conhecimento
meta-cves = Identificadores CVE
meta-none = Nenhum
meta-affected = Software afetado
meta-revisions = Histórico de revisões
# Variables: $count (integer) — number of revisions.
# In Portuguese (Brazil) the `one` category covers 0 and 1: keep { $count } in it.
meta-revision-count =
    { $count ->
        [one] { $count } revisão
       *[other] { $count } revisões
    }
# Variables: $number (text) — revision number as written, e.g. "1.1".
meta-revision-number = Revisão { $number }
meta-references = Referências
meta-legacy-url = Publicado originalmente em

## Reference types

ref-type-kb = Artigo da Base de Conhecimento
ref-type-advisory = Comunicado de segurança
ref-type-bulletin = Boletim de segurança
ref-type-blog = Publicação de blog
ref-type-cve = Registro CVE
ref-type-vendor = Informações do fornecedor
ref-type-other = Outro recurso

## Stale translations

# Variables: $from, $current (text) — revision numbers, e.g. "1.0" and "1.1".
stale-notice = Esta tradução pode estar desatualizada: ela foi feita a partir da revisão { $from }, e o comunicado agora está na revisão { $current }.
stale-notice-unknown = Esta tradução pode estar desatualizada.

## Page parts

toc-title = Nesta página
footnote-back = Voltar para a referência
alert-note = Observação
alert-tip = Dica
alert-important = Importante
alert-warning = Aviso
alert-caution = Cuidado
footer-generated = Gerado pelo avisa

## Feeds and redirects

# Variables: $site (text) — site title; $language (text) — language name.
feed-title = { $site } — { $language }
# Variables: $target (text) — the title of the page it moved to.
redirect-moved = Esta página foi movida para { $target }.
redirect-link = Ir para a nova página
