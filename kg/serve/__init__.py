"""The SPARQL endpoint and linked-data pages: the server and its route table (app), the
protocol (sparql), the HTML and VoID pages (pages) and the query worker processes (pool)."""
