-- Lua filter of the markup engine, for lightweight markup outputs: divs (a notebook's cells, an
-- epub's or a web page's sections) become their content, since a div there is a container
-- directive or a fenced block that hides the headings inside it from the next reader; and empty
-- spans (the bookmark anchors of docx and odt headings) are dropped, since writers spell them in
-- syntax other readers take as text (AsciiDoc's [#anchor]##).
function Div(el)
  return el.content
end

function Span(el)
  if #el.content == 0 then
    return {}
  end
end
