"""Pages of the standards app: standards (views.standards), inspection rounds and the one
inspection form (views.inspections), results and rectifications (views.results)."""
