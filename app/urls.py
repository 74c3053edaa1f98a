"""The article's URLconf (step 5), with the rest of the example app."""

from asgi_cycle.urls import path

from .views import (
    api_product_detail,
    api_product_list,
    home,
    product_create,
    product_detail,
    product_list,
)

urlpatterns = [
    path("", home, name="home"),
    path("products/", product_list, name="product-list"),
    path("products/new/", product_create, name="product-create"),
    path("products/<int:id>/", product_detail, name="product-detail"),
    path("api/products/", api_product_list, name="api-product-list"),
    path("api/products/<int:id>/", api_product_detail, name="api-product-detail"),
]
